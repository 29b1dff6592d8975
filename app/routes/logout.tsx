import { type ActionFunctionArgs, redirect } from '@remix-run/node';
import { endSession } from '~/services/auth.server';

export const action = ({ request, context }: ActionFunctionArgs) => endSession(request, context);
export const loader = () => redirect('/');
