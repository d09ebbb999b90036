// Cell values of the fake Fusion API: write validation and storage per field type, and the
// read-back shape (URL cells as objects, attachments with their URL, empty cells absent).
import { randomBytes } from 'node:crypto';
import type { FakeField, FakeRecord } from './fake-fusion-server.ts';

export interface FakeAsset {
  token: string;
  name: string;
  size: number;
  mimeType: string;
  width?: number;
  height?: number;
  url: string;
}

export const COMPUTED = new Set(['CreatedTime', 'LastModifiedTime', 'Formula', 'AutoNumber', 'CreatedBy', 'LastModifiedBy', 'LookUp']);

/** A validation failure: HTTP 200, success:false, body code 400 (unless said otherwise). */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: number;
  constructor(code: number, message: string, status = 200) {
    super(message);
    this.code = code;
    this.status = status;
  }
}
export const bad = (message: string) => new ApiFailure(400, message);

export function newId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return prefix + [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Validates and converts one written value to what is stored (null clears). */
export function toStored(field: FakeField, value: unknown, uploads: Map<string, FakeAsset>): unknown {
  const fail = (what: string) => bad(`field:${field.name} ${what}`);
  if (COMPUTED.has(field.type)) throw bad(`${field.name}: ${field.type} field can't be edited`);
  if (value === null) return null;
  switch (field.type) {
    case 'SingleText':
    case 'Text':
      if (typeof value !== 'string') throw fail('value must be string');
      return value === '' ? null : value;
    case 'SingleSelect': {
      if (typeof value !== 'string') throw fail('value must be string');
      const options = ((field.property ??= { options: [] }) as { options: { id: string; name: string }[] }).options;
      if (!options.some((o) => o.name === value || o.id === value)) options.push({ id: newId('opt'), name: value }); // auto-created
      return options.find((o) => o.id === value)?.name ?? value;
    }
    case 'MultiSelect':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw fail('value must be an array of strings');
      return value;
    case 'Checkbox':
      if (typeof value !== 'boolean') throw fail('Checkbox field value must be boolean');
      return value ? true : null;
    case 'URL':
      if (typeof value === 'string') return { text: value, title: value, favicon: '' };
      if (typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
        const v = value as { text: string; title?: string; favicon?: string };
        return { text: v.text, title: v.title ?? v.text, favicon: v.favicon ?? '' };
      }
      throw fail('URL value must be a string or {text}');
    case 'Number':
    case 'Currency':
    case 'Rating':
    case 'Percent':
      if (typeof value !== 'number') throw fail('value must be number');
      return value;
    case 'DateTime': {
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) throw fail('value must be a date');
      return ms;
    }
    case 'Attachment': {
      if (!Array.isArray(value)) throw fail('Attachment type must be array');
      return value.map((item: unknown) => {
        const { token, name } = (item ?? {}) as { token?: unknown; name?: unknown };
        if (typeof token !== 'string') throw fail("Attachment token can't be null");
        if (typeof name !== 'string') throw fail("Attachment name can't be null");
        const asset = uploads.get(token);
        if (!asset) throw bad('The attachment specified by the token does not exist');
        const { url: _url, ...stored } = asset;
        return { id: newId('atc'), ...stored, name };
      });
    }
    default:
      return value;
  }
}

export function readCell(rec: FakeRecord, field: FakeField, uploads: Map<string, FakeAsset>): unknown {
  if (field.type === 'CreatedTime') return rec.createdAt;
  if (field.type === 'LastModifiedTime') return rec.updatedAt ?? undefined;
  const v = rec.cells.get(field.id);
  if (v === undefined || v === null) return undefined;
  if (field.type === 'Attachment') return (v as { token: string }[]).map((a) => ({ ...a, url: uploads.get(a.token)?.url }));
  return v;
}

export function asString(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x ? (x as { name?: string }).name : String(x))).join(', ');
  if (typeof v === 'object' && v !== null) return String((v as { text?: string }).text ?? '');
  return String(v);
}
