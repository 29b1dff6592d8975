import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { handleApiRequest } from '~/api/router.server';

// The JSON API: every method and path under /api/v1 goes to the one router (app/api), which answers itself.
export const loader = ({ request, context }: LoaderFunctionArgs) => handleApiRequest(request, context.app);
export const action = ({ request, context }: ActionFunctionArgs) => handleApiRequest(request, context.app);
