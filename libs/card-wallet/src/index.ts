export * from './demo/demo-citizens';
