// Client-side calls of the operator console's API (/api/admin/*), on the admin's session cookie.
import { request } from "@/components/api";
import type {
  AdminAudit,
  AdminBlock,
  AdminBlocks,
  AdminLimits,
  AdminReset,
  AdminStats,
  AdminUnblock,
  AdminUsers,
} from "@/lib/wire/admin";

const query = (key: string) => `?key=${encodeURIComponent(key)}`;

export const adminApi = {
  stats: (minutes = 60) => request<AdminStats>(`/api/admin/stats?minutes=${minutes}`),
  blocks: () => request<AdminBlocks>("/api/admin/blocks"),
  audit: (limit = 50) => request<AdminAudit>(`/api/admin/audit?limit=${limit}`),
  lookUp: (key: string) => request<AdminLimits>(`/api/admin/limits${query(key)}`),
  findUsers: (prefix: string) => request<AdminUsers>(`/api/admin/users?name=${encodeURIComponent(prefix)}`),
  reset: (key: string) =>
    request<AdminReset>("/api/admin/limits/reset", { method: "POST", body: JSON.stringify({ key }) }),
  block: (key: string, seconds: number, reason: string) =>
    request<AdminBlock>("/api/admin/blocks", {
      method: "POST",
      body: JSON.stringify({ key, seconds, reason }),
    }),
  unblock: (key: string) => request<AdminUnblock>(`/api/admin/blocks${query(key)}`, { method: "DELETE" }),
};
