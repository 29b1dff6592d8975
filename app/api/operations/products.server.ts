import { z } from 'zod';
import { defineOperation } from '~/api/operation.server';
import { productSchema, productSummarySchema } from '~/api/schemas.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { debtShareSchema } from '~/services/backlog/debt-share.server';
import { createProduct, getProduct, listProducts, productInputSchema } from '~/services/products.server';

const productId = { description: 'The product’s id', format: 'uuid' } as const;

export const listProductsOperation = defineOperation({
  operationId: 'listProducts',
  method: 'GET',
  path: '/products',
  summary: 'The products you are a member of, by name',
  tag: 'Products',
  auth: 'token',
  params: {},
  success: {
    status: 200,
    description: 'Your products',
    schema: z.object({ products: z.array(productSummarySchema) }),
  },
  errors: [],
  async handler({ services, user }) {
    return { products: await listProducts(services.db, user.id) };
  },
});

export const createProductOperation = defineOperation({
  operationId: 'createProduct',
  method: 'POST',
  path: '/products',
  summary: 'Create a product; you become its product owner',
  tag: 'Products',
  auth: 'token',
  params: {},
  body: productInputSchema,
  success: { status: 201, description: 'The new product', schema: productSummarySchema },
  errors: [],
  async handler({ services, user, body }) {
    const product = await createProduct(services.db, user.id, body);
    services.log.info({ event: 'product_created', productId: product.id, userId: user.id, via: 'api' });
    return product;
  },
});

export const getProductOperation = defineOperation({
  operationId: 'getProduct',
  method: 'GET',
  path: '/products/{productId}',
  summary: 'One product you are a member of',
  description: 'A product you are not a member of answers 404, as if it did not exist.',
  tag: 'Products',
  auth: 'token',
  params: { productId },
  success: { status: 200, description: 'The product', schema: productSchema },
  errors: [404],
  async handler({ services, user, params }) {
    return getProduct(services.db, params.productId, user.id);
  },
});

export const setDebtShareOperation = defineOperation({
  operationId: 'setDebtShare',
  method: 'PUT',
  path: '/products/{productId}/debt-share',
  summary: 'Set the share of each sprint kept for technical debt',
  description:
    'A whole percent from 0 to 100, or null for no share. Product owner only (403 for the team and stakeholders). ' +
    'Sprint planning shows the debt points planned against it and the metrics the share delivered per sprint. ' +
    'A change is recorded in the decision log (`debt_share_changed`), with the reason when one is given.',
  tag: 'Products',
  auth: 'token',
  params: { productId },
  body: debtShareSchema,
  success: {
    status: 200,
    description: 'The share now in force, and whether it changed',
    schema: z
      .object({ share: z.number().int().nullable(), changed: z.boolean() })
      .meta({ title: 'DebtShare' }),
  },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return runBacklogCommand(services, 'setDebtShare', { productId: params.productId }, user.id, body);
  },
});
