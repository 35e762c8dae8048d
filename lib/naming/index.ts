export * from './name-rules';
export * from './names';
