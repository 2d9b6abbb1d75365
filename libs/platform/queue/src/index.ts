export * from './lib/queue.port';
export * from './lib/in-process.queue';
export * from './lib/bullmq.queue';
export * from './lib/account-throttle';
export * from './lib/queue.module';
