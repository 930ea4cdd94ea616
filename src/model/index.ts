// The data that flows through tracetax, as types only. Everything in src/ imports its types from here;
// this folder imports nothing outside itself (test/unit/imports.test.ts keeps it so).
export type * from './chart.ts';
export type * from './compare.ts';
export type * from './gate.ts';
export type * from './machine.ts';
export type * from './micro.ts';
export type * from './report.ts';
export type * from './run.ts';
export type * from './scenario.ts';
export type * from './tracing.ts';
export type * from './trial.ts';
