// CRM search: filter groups (OR of ANDs), sorts, paging, and the search index delay.
import { validationError } from './http.ts';
import type { SimObject } from './state.ts';

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}
export interface SearchRequest {
  filterGroups?: Array<{ filters?: Filter[] }>;
  sorts?: Array<string | { propertyName: string; direction?: string }>;
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;
const MAX_LIMIT = 200;
const MAX_RESULTS = 10_000;

export function validateSearch(req: SearchRequest): void {
  const groups = req.filterGroups ?? [];
  if (!Array.isArray(groups)) throw validationError('filterGroups must be an array');
  if (groups.length > MAX_GROUPS) {
    throw validationError(`Too many filter groups: ${groups.length}. The maximum is ${MAX_GROUPS}.`);
  }
  let total = 0;
  for (const g of groups) {
    const filters = g.filters ?? [];
    if (filters.length > MAX_FILTERS_PER_GROUP) {
      throw validationError(
        `Too many filters in a group: ${filters.length}. The maximum is ${MAX_FILTERS_PER_GROUP}.`,
      );
    }
    total += filters.length;
    for (const f of filters) {
      if (!f || typeof f.propertyName !== 'string') throw validationError('Each filter needs a propertyName');
      if (!OPERATORS.has(f.operator))
        throw validationError(`Unsupported filter operator '${String(f.operator)}'`);
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.values)) {
        throw validationError(`Operator ${f.operator} needs 'values' (an array)`);
      }
    }
  }
  if (total > MAX_FILTERS)
    throw validationError(`Too many filters: ${total}. The maximum is ${MAX_FILTERS}.`);
  const limit = req.limit ?? 10;
  if (typeof limit !== 'number' || limit < 0 || limit > MAX_LIMIT) {
    throw validationError(`limit must be between 0 and ${MAX_LIMIT}`);
  }
}

function norm(v: unknown): string {
  return String(v ?? '').toLowerCase();
}

/** Compares as numbers when both are numeric, else as dates when both parse, else as strings. */
function compare(a: string, b: unknown): number {
  const bs = String(b ?? '');
  const an = Number(a);
  const bn = Number(bs);
  if (a !== '' && bs !== '' && Number.isFinite(an) && Number.isFinite(bn)) return an - bn;
  const ad = Date.parse(a);
  const bd = Number.isFinite(bn) && bs !== '' ? bn : Date.parse(bs);
  if (!Number.isNaN(ad) && !Number.isNaN(bd)) return ad - bd;
  return a.localeCompare(bs);
}

function matches(obj: SimObject, f: Filter): boolean {
  const raw = obj.properties[f.propertyName];
  const v = raw ?? '';
  const has = v !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return (
        has && (norm(v) === norm(f.value) || (v !== '' && compare(v, f.value) === 0 && isNum(v, f.value)))
      );
    case 'NEQ':
      return norm(v) !== norm(f.value);
    case 'IN':
      return has && (f.values ?? []).some((x) => norm(x) === norm(v));
    case 'NOT_IN':
      return !(f.values ?? []).some((x) => norm(x) === norm(v));
    case 'LT':
      return has && compare(v, f.value) < 0;
    case 'LTE':
      return has && compare(v, f.value) <= 0;
    case 'GT':
      return has && compare(v, f.value) > 0;
    case 'GTE':
      return has && compare(v, f.value) >= 0;
    case 'BETWEEN':
      return has && compare(v, f.value) >= 0 && compare(v, f.highValue) <= 0;
    case 'CONTAINS_TOKEN':
      return has && tokenMatch(v, f.value);
    case 'NOT_CONTAINS_TOKEN':
      return !tokenMatch(v, f.value);
    default:
      return false;
  }
}

function isNum(a: string, b: unknown): boolean {
  return Number.isFinite(Number(a)) && Number.isFinite(Number(b));
}

function tokenMatch(v: string, token: unknown): boolean {
  const t = norm(token);
  if (t.includes('*')) {
    const re = new RegExp(
      '^' +
        t
          .split('*')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
    );
    return (
      norm(v)
        .split(/\s+/)
        .some((w) => re.test(w)) || re.test(norm(v))
    );
  }
  return (
    norm(v)
      .split(/[\s@.,]+/)
      .includes(t) || norm(v) === t
  );
}

export interface SearchPage {
  total: number;
  results: SimObject[];
  nextAfter?: string;
}

/** Runs a validated search over `objects` (already restricted to what the index sees). */
export function runSearch(objects: SimObject[], req: SearchRequest): SearchPage {
  const groups = (req.filterGroups ?? []).filter((g) => (g.filters ?? []).length > 0);
  let hits = objects.filter(
    (o) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(o, f))),
  );
  if (req.query) {
    const q = norm(req.query);
    hits = hits.filter((o) => Object.values(o.properties).some((v) => norm(v).includes(q)));
  }
  const sorts = (req.sorts ?? []).map((s) =>
    typeof s === 'string'
      ? { propertyName: s.replace(/^-/, ''), direction: s.startsWith('-') ? 'DESCENDING' : 'ASCENDING' }
      : s,
  );
  hits.sort((a, b) => {
    for (const s of sorts) {
      const c = compare(a.properties[s.propertyName] ?? '', b.properties[s.propertyName] ?? '');
      if (c !== 0) return s.direction === 'DESCENDING' ? -c : c;
    }
    return Number(a.id) - Number(b.id);
  });
  const offset = Number(req.after ?? 0) || 0;
  if (offset >= MAX_RESULTS)
    throw validationError(`Search results are limited to ${MAX_RESULTS}; 'after' is too large`);
  const limit = req.limit ?? 10;
  const page = hits.slice(offset, offset + limit);
  const next = offset + limit;
  return { total: hits.length, results: page, nextAfter: next < hits.length ? String(next) : undefined };
}
