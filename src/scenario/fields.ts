// The checks every field of a scenario goes through: each names the field and says what it must be.
import { isObject, type PlainObject } from '../common/input.ts';
import { ScenarioError } from './errors.ts';

export function expectObject(value: unknown, field: string): PlainObject {
  if (!isObject(value)) throw new ScenarioError(`${field} must be an object`);
  return value;
}

export function expectString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ScenarioError(`${field} must be a non-empty string`);
  return value;
}

export function expectNumber(value: unknown, field: string, { integer, min, positive }: { integer?: boolean; min?: number; positive?: boolean }): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (!positive || value > 0);
  if (!ok) {
    const kind = `${positive ? 'a positive' : min === 0 ? 'a non-negative' : 'a'} ${integer ? 'whole number' : 'number'}`;
    throw new ScenarioError(`${field} must be ${kind}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value as number;
}

export function optionalNumber(obj: PlainObject, key: string, field: string, fallback: number, rule: Parameters<typeof expectNumber>[2]): number {
  return obj[key] === undefined ? fallback : expectNumber(obj[key], `${field}.${key}`, rule);
}

export function envValue(value: unknown, field: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ScenarioError(`${field} must be a string or a number`);
}
