export * from './vocabulary';
export * from './types';
export * from './catalogue';
export * from './closest-match';
