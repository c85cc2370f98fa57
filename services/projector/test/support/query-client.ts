/** A small fetch client for the query API; `token: null` sends no Authorization header. */
export function queryClient(baseUrl: string, token: string | null) {
  return async (path: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
    const response = await fetch(`${baseUrl}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  };
}

export type QueryClient = ReturnType<typeof queryClient>;

/** Every page of a listing, following `next` until it is null. */
export async function allPages(get: QueryClient, firstPath: string): Promise<{ pages: number; rows: Record<string, unknown>[] }> {
  const rows: Record<string, unknown>[] = [];
  let path: string | null = firstPath;
  let pages = 0;
  while (path !== null) {
    const response = await get(path);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    pages += 1;
    rows.push(...(response.body.orders as Record<string, unknown>[]));
    const next = response.body.next as string | null;
    path = next === null ? null : `${firstPath}&cursor=${encodeURIComponent(next)}`;
  }
  return { pages, rows };
}
