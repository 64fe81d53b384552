export { loadServerConfig, type ServerConfig } from './config';
export { createServer, type ServerOptions } from './create-server';
export { listening } from './listen-error';
export { type RunningServer, type StartServerOptions, startServer } from './start-server';
