export * from './lib/queue.port';
