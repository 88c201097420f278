import { contextBridge } from 'electron';

// The renderer gets a tiny, named surface; never ipcRenderer itself.
contextBridge.exposeInMainWorld('firmdrop', { version: '0.1.0' });
