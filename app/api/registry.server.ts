import { z } from 'zod';
import { buildOpenApiDocument } from './openapi.server';
import { defineOperation, type Operation } from './operation.server';
import {
  createTokenOperation,
  getMeOperation,
  revokeTokenOperation,
  signUpOperation,
} from './operations/accounts.server';
import {
  archiveBacklogItemOperation,
  createBacklogItemOperation,
  getBacklogItemOperation,
  listBacklogItemsOperation,
  moveBacklogItemOperation,
  restoreBacklogItemOperation,
  updateBacklogItemOperation,
} from './operations/backlog.server';
import {
  addDependencyOperation,
  exportBacklogOperation,
  getFeatureFileOperation,
  importBacklogCsvOperation,
  listDecisionsOperation,
  removeDependencyOperation,
} from './operations/backlog-links.server';
import { goalRiskOperations } from './operations/goal-risk.server';
import {
  acceptInviteOperation,
  createInviteOperation,
  revokeInviteOperation,
} from './operations/invites.server';
import { createLiveTokenOperation } from './operations/live.server';
import {
  changeMemberRoleOperation,
  listMembersOperation,
  removeMemberOperation,
} from './operations/members.server';
import { metricsOperations } from './operations/metrics.server';
import { notificationOperations } from './operations/notifications.server';
import { pokerDeckOperations } from './operations/poker-decks.server';
import { prioritisationOperations } from './operations/prioritisation.server';
import {
  createProductOperation,
  getProductOperation,
  listProductsOperation,
  setDebtShareOperation,
} from './operations/products.server';
import { requestOperations } from './operations/requests.server';
import { sessionOperations } from './operations/sessions.server';
import { sprintOperations } from './operations/sprints.server';
import { trackerOperations } from './operations/trackers.server';
import { webhookOperations } from './operations/webhooks.server';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

const getOpenApiDocumentOperation = defineOperation({
  operationId: 'getOpenApiDocument',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document',
  tag: 'Meta',
  auth: 'none',
  params: {},
  success: {
    status: 200,
    description: 'The OpenAPI 3.1 document',
    schema: z.looseObject({ openapi: z.string() }),
  },
  errors: [],
  async handler() {
    document ??= buildOpenApiDocument(operations);
    return document;
  },
});

/**
 * Every /api/v1 operation. The router serves exactly these and the OpenAPI document describes exactly these,
 * so nothing can be served undocumented. Later features add their operations here.
 */
export const operations: readonly Operation[] = [
  getOpenApiDocumentOperation,
  signUpOperation,
  getMeOperation,
  createLiveTokenOperation,
  createTokenOperation,
  revokeTokenOperation,
  listProductsOperation,
  createProductOperation,
  getProductOperation,
  setDebtShareOperation,
  listMembersOperation,
  changeMemberRoleOperation,
  removeMemberOperation,
  createInviteOperation,
  revokeInviteOperation,
  acceptInviteOperation,
  listBacklogItemsOperation,
  createBacklogItemOperation,
  getBacklogItemOperation,
  updateBacklogItemOperation,
  moveBacklogItemOperation,
  archiveBacklogItemOperation,
  restoreBacklogItemOperation,
  addDependencyOperation,
  removeDependencyOperation,
  listDecisionsOperation,
  importBacklogCsvOperation,
  exportBacklogOperation,
  getFeatureFileOperation,
  ...sessionOperations,
  ...pokerDeckOperations,
  ...prioritisationOperations,
  ...sprintOperations,
  ...goalRiskOperations,
  ...metricsOperations,
  ...trackerOperations,
  ...notificationOperations,
  ...webhookOperations,
  ...requestOperations,
];
