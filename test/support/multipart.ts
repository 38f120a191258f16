/**
 * A multipart body as a browser (and botframework-directlinejs) builds it, serialised by undici's
 * own FormData: what Direct Line's /upload receives.
 *
 * @example
 * const { body, contentType } = await multipart({ type: 'message' }, [{ name: 'a.png', type: 'image/png', bytes }]);
 */
export async function multipart(
  activity: Record<string, unknown> | undefined,
  files: Array<{ name: string; type: string; bytes: Buffer }>,
): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  if (activity !== undefined) form.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const r = new Response(form);
  return { body: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}
