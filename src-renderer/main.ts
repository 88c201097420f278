import { mount } from 'svelte';
import App from './App.svelte';
import { installWebBridge } from './lib/web-bridge';
import './app.css';

// In Electron the preload has already set window.firmdrop; in a browser the web shell's page does it here.
installWebBridge(window, document);

const target = document.getElementById('app');
if (!target) throw new Error('Firmdrop: #app element missing from index.html');
mount(App, { target });
