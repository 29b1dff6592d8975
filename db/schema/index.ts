export * from './dashboards';
export * from './decisions';
export * from './items';
export * from './products';
export * from './sessions';
export * from './sprints';
export * from './system';
export * from './users';
