// /admin — the operator console for admins (ADMIN_USER_IDS, or ADMIN_TOKEN typed in here); anyone else is told
// what the page is.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminConsole } from "@/components/admin/admin-console";
import { AdminDenied } from "@/components/admin/admin-denied";
import { adminPageAccess } from "@/lib/admin/auth";
import { getConfig } from "@/lib/config";
import "@/components/styles/admin.css";
import "@/components/styles/admin-widgets.css";

export const metadata: Metadata = { title: "Operator console", robots: { index: false, follow: false } };

export default async function AdminPage() {
  const access = await adminPageAccess(await headers());
  const tokenSignIn = getConfig().admin.token !== undefined;
  switch (access.kind) {
    case "admin":
      return <AdminConsole actor={access.actor} />;
    case "not_admin":
      return (
        <AdminDenied
          reason="not_admin"
          user={{ id: access.user.id, name: access.user.name }}
          tokenSignIn={tokenSignIn}
        />
      );
    default:
      return <AdminDenied reason={access.kind} tokenSignIn={tokenSignIn} />;
  }
}
