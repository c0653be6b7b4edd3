// Auth.js endpoints: sign-in redirects and callbacks, sign-out, CSRF token, session (see lib/auth/options.ts).
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request, not at import: `next build` loads this module without the runtime env.
const handler = (request: NextRequest, context: Context): Promise<Response> =>
  NextAuth(request, context, authOptions());

export { handler as GET, handler as POST };
