import { z } from 'zod';
import { invitableRoles, roles } from '../domain/roles';

/** Response schemas: what the API promises to send. Their input side is the wire form the OpenAPI document shows. */

/** Dates travel as ISO 8601 strings; handlers return Date objects and the router encodes them. */
export const isoDateTime = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

export const id = z.guid();
export const roleSchema = z.enum(roles);
export const invitableRoleSchema = z.enum(invitableRoles);

export const userSchema = z
  .object({ id, email: z.string(), displayName: z.string(), createdAt: isoDateTime })
  .meta({ title: 'User' });

export const productSummarySchema = z
  .object({ id, name: z.string(), description: z.string(), role: roleSchema, createdAt: isoDateTime })
  .meta({ title: 'ProductSummary', description: 'A product with the caller’s role in it' });

export const productSchema = productSummarySchema
  .extend({ memberCount: z.number().int() })
  .meta({
    title: 'Product',
    description: 'A product with the caller’s role in it and its number of members',
  });

export const memberSchema = z
  .object({ userId: id, displayName: z.string(), email: z.string(), role: roleSchema, joinedAt: isoDateTime })
  .meta({ title: 'Member' });
