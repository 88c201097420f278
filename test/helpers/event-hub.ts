export { EventHub } from '../../src-main/app/event-hub';
