// Routes of the master-data pages (基础资料).
import type { RouteRecordRaw } from 'vue-router'

export const masterRoutes: RouteRecordRaw[] = [
  { path: '/master', redirect: '/master/project' },
  { path: '/master/project', component: () => import('./project/index.vue'), meta: { title: '项目与批次' } },
  { path: '/master/units', component: () => import('./units/index.vue'), meta: { title: '房屋与业主' } },
  { path: '/master/roster', component: () => import('./roster/index.vue'), meta: { title: '导入花名册' } },
  { path: '/master/contractors', component: () => import('./contractors/index.vue'), meta: { title: '施工与维保单位' } },
  { path: '/master/clock', component: () => import('./clock/index.vue'), meta: { title: '时限、日历与保修期' } },
  { path: '/master/backup', component: () => import('./backup/index.vue'), meta: { title: '数据备份' } },
  { path: '/master/staff', component: () => import('./staff/index.vue'), meta: { title: '员工账号' } },
  { path: '/master/audit', component: () => import('./audit/index.vue'), meta: { title: '操作日志' } },
]
