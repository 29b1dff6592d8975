import { z } from 'zod';
import { createProduct, getProduct, listProducts, productInputSchema } from '~/services/products.server';
import { defineOperation } from '~/api/operation.server';
import { productSchema, productSummarySchema } from '~/api/schemas.server';

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
