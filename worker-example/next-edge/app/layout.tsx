import type { ReactNode } from "react";

export const metadata = { title: "@fallom/trace on a Next.js edge route" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
