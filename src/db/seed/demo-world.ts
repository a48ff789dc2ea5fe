import type { FastifyBaseLogger } from 'fastify';
import type { Gender } from '../../contacts/contact.entity.js';
import { contextFor, type AppDeps, type Context } from '../../context.js';
import type { Customer, CustomerLevel } from '../../customers/customer.entity.js';
import type { User } from '../../users/user.entity.js';
import type { DemoCalendar } from './demo-calendar.js';

// What the demo's record builders share: who the people are, the demo's calendar, and the
// customers as the ownership steps left them.

export interface DemoWorld {
  app: AppDeps;
  log: FastifyBaseLogger;
  people: ReadonlyMap<string, User>;
  calendar: DemoCalendar;
}

/** One demo customer's fields (demoCustomerSpecs in demo-data.ts makes the list). */
export interface DemoCustomerSpec {
  name: string;
  phone: string;
  email: string;
  address: string;
  website: string;
  industry: string;
  level: CustomerLevel;
  source: string;
  region: string;
}

export interface DemoCustomer {
  /** As created: its id and name (state fields may be stale; `owner` says who owns it now). */
  customer: Customer;
  spec: DemoCustomerSpec;
  /** 1-based number of the spec: its web and mail domain is demo<n>.example.cn. */
  n: number;
  /** The key (DEMO_PEOPLE) of its owner; undefined in the pool or archived. */
  owner?: string;
  /** The day (offset from today) its owner got it. */
  since?: number;
  archived: boolean;
}

/** A contact as the later steps need it (not the entity: that would keep its context alive). */
export interface DemoContact {
  /** Global id. */
  id: string;
  name: string;
  title: string;
  gender: Gender;
  customer: DemoCustomer;
}

/**
 * A fresh context acting as a demo person. Each customer's records are written through their own
 * context, so no identity map or loader cache grows over the whole demo.
 */
export function actAs(world: DemoWorld, key: string): Promise<Context> {
  return contextFor(world.app, world.people.get(key)!.id, world.log);
}

/** The city a demo customer is in (its address starts with it). */
export function cityOf(spec: DemoCustomerSpec): string {
  return spec.address.slice(0, spec.address.indexOf('市'));
}

export interface DemoRecordCounts {
  contacts: number;
  relations: number;
  interactions: number;
  quotes: number;
  contracts: number;
  receivables: number;
  receipts: number;
  attachments: number;
}
