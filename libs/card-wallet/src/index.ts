export * from './demo/demo-citizens';
export * from './store/file-card-store';
