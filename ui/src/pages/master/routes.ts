// Routes of the master-data pages (基础资料).
import type { RouteRecordRaw } from 'vue-router'

export const masterRoutes: RouteRecordRaw[] = []
