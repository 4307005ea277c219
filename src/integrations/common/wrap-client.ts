// A traced view of a provider client: a Proxy per object on the way to a traced method, made on first access and
// kept for the view; the client itself is never modified. Wrapping a view wraps its original (one span per call).

const ORIGINAL = /* @__PURE__ */ Symbol.for("fallom.original");

/** A traced method: gets the wrapper's options, the original client, the SDK method, its `this` and arguments */
export type Traced<O> = (options: O, client: any, fn: Function, self: object, args: any[]) => unknown;

/**
 * `methods` maps dotted paths from the client ("chat.completions.create") to their tracers (undefined: only keep the
 * objects on the way in the view, for the aliases to apply there). `aliases` names properties
 * through which an SDK's own helpers reach the client or a resource (`_client`, `modelsModule`): read on a view, they
 * give the view, so `parse()`, `stream()` and chats call the traced methods and record one span each.
 */
export function wrapClient<T extends object, O>(
  client: T,
  options: O,
  methods: Record<string, Traced<O> | undefined>,
  aliases: Record<string, string> = {},
): T {
  if (Object(client) !== client) return client;
  const root: any = (client as any)[ORIGINAL] ?? client;
  const prefixes = new Set<string>([""]);
  for (const path of Object.keys(methods)) for (let i = path.indexOf("."); i > 0; i = path.indexOf(".", i + 1)) prefixes.add(path.slice(0, i));
  const views = new Map<string, any>();
  const view = (path: string): any => {
    let v = views.get(path);
    if (v) return v;
    let target = root;
    for (const key of path ? path.split(".") : []) target = target?.[key];
    if (Object(target) !== target) return target;
    // per key: the SDK function last seen and what the view returns for it
    const fns = new Map<PropertyKey, [Function, Function]>();
    v = new Proxy(target, {
      get(t, key) {
        if (key === ORIGINAL) return t;
        if (typeof key == "string" && aliases[key] !== undefined) return view(aliases[key]);
        const value = Reflect.get(t, key);
        const at = (path && path + ".") + String(key);
        if (typeof value == "function") {
          const seen = fns.get(key);
          if (seen && seen[0] === value) return seen[1];
          const tracer = methods[at];
          const fn = tracer
            ? function (this: unknown, ...args: any[]) {
                return tracer(options, root, value, t, args);
              }
            : // the client's own methods use its private fields: they run on the client itself; resources' methods
              // keep `this` (the view) so their helpers find the traced client through the aliases
              path
              ? value
              : value.bind(t);
          fns.set(key, [value, fn]);
          return fn;
        }
        return prefixes.has(at) ? view(at) : value;
      },
    });
    views.set(path, v);
    return v;
  };
  return view("");
}
