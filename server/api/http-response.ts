/** Small JSON responses for the HTTP layer (before GraphQL runs), in the GraphQL error shape. */

export function jsonResponse(fetchAPI: { Response: typeof Response }, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** `{ errors: [{ message, extensions: { code } }] }`, as a GraphQL client expects. */
export function errorResponse(fetchAPI: { Response: typeof Response }, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(fetchAPI, status, { errors: [{ message, extensions: { code } }] }, headers);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
