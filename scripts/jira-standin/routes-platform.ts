/**
 * The platform's small endpoints: myself, serverInfo, mypermissions, field.
 */
import { fields, type PermissionKey, permissionCatalog } from './catalog';
import { api, type JiraRoute } from './context';
import { badRequest, json, listParam } from './http';
import { userJson } from './issue-json';
import type { Flavour } from './state';
import { jiraDateTime } from './time';

const BUILD_DATE = Date.UTC(2025, 0, 15);

export function platformRoutes(flavour: Flavour): JiraRoute[] {
  return [
    ...api(flavour, 'GET', '/myself', (ctx) => {
      const empty = { size: 0, items: [] };
      return json({
        ...userJson(ctx.view, ctx.caller),
        ...(flavour === 'dc' ? { deleted: false } : {}),
        locale: 'en_US',
        groups: { ...empty, items: [{ name: 'jira-software-users' }], size: 1 },
        applicationRoles: empty,
        expand: 'groups,applicationRoles',
      });
    }),

    ...api(
      flavour,
      'GET',
      '/serverInfo',
      (ctx) =>
        json(
          flavour === 'cloud'
            ? {
                baseUrl: ctx.base,
                displayUrl: ctx.base,
                version: '1001.0.0-SNAPSHOT',
                versionNumbers: [1001, 0, 0],
                deploymentType: 'Cloud',
                buildNumber: 100282,
                buildDate: jiraDateTime(BUILD_DATE),
                serverTime: jiraDateTime(Date.now()),
                scmInfo: 'standin',
                serverTitle: 'Jira',
                defaultLocale: { locale: 'en_US' },
                serverTimeZone: 'Etc/UTC',
              }
            : {
                baseUrl: ctx.base,
                version: '9.12.15',
                versionNumbers: [9, 12, 15],
                deploymentType: 'Server',
                buildNumber: 9120015,
                buildDate: jiraDateTime(BUILD_DATE),
                serverTime: jiraDateTime(Date.now()),
                scmInfo: 'standin',
                serverTitle: 'Jira Stand-in',
              },
        ),
      true,
    ),

    ...api(flavour, 'GET', '/mypermissions', (ctx) => {
      const requested = listParam(ctx.query, 'permissions');
      // Cloud insists on the list; Data Center answers every permission without one.
      if (!requested && flavour === 'cloud') throw badRequest('The permissions query parameter is required.');
      const keys = requested ?? permissionCatalog.map((permission) => permission.key);
      const unknown = keys.filter((key) => !permissionCatalog.some((permission) => permission.key === key));
      if (unknown.length > 0) throw badRequest(`Unrecognized permission keys: ${unknown.join(', ')}`);
      const permissions = Object.fromEntries(
        keys.map((key) => {
          const permission = permissionCatalog.find((p) => p.key === key)!;
          return [key, { ...permission, havePermission: ctx.caller.permissions.has(key as PermissionKey) }];
        }),
      );
      return json({ permissions });
    }),

    ...api(flavour, 'GET', '/field', () =>
      json(
        fields.map((field) => ({
          id: field.id,
          ...(flavour === 'cloud' ? { key: field.id } : {}),
          name: field.name,
          ...(flavour === 'cloud' && field.custom ? { untranslatedName: field.name } : {}),
          custom: field.custom,
          orderable: field.orderable,
          navigable: field.navigable,
          searchable: field.searchable,
          clauseNames: field.clauseNames,
          ...(field.schema ? { schema: field.schema } : {}),
        })),
      ),
    ),
  ];
}
