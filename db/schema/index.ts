export * from './decisions';
export * from './items';
export * from './products';
export * from './system';
export * from './users';
