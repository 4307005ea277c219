export default function Home() {
  return (
    <main>
      <h1>@fallom/trace on a Next.js edge route</h1>
      <p>
        <code>POST /api/chat</code> (flushes with <code>after()</code>) and <code>POST /api/auto</code> (the SDK finds the
        request context&apos;s <code>waitUntil</code>), each with <code>{`{ "prompt": "…" }`}</code>.
      </p>
    </main>
  );
}
