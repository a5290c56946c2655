import { GeneralErrorBoundary } from '~/components/ErrorBoundary';

// Any path no route claims: the shared, translated 404 page.
export function loader() {
  throw new Response('Not Found', { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
