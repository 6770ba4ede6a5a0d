import { createRouter, createWebHashHistory } from 'vue-router'
import { masterRoutes } from './pages/master/routes'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/today' },
    { path: '/today', component: () => import('./pages/today/index.vue'), meta: { title: '今日待办' } },
    { path: '/intake', component: () => import('./pages/intake/index.vue'), meta: { title: '报修受理' } },
    { path: '/tickets', component: () => import('./pages/tickets/index.vue'), meta: { title: '报修单' } },
    { path: '/tickets/:no', component: () => import('./pages/tickets/detail.vue'), meta: { title: '报修单详情' } },
    { path: '/report', component: () => import('./pages/report/index.vue'), meta: { title: '工作日报 F03' } },
    { path: '/followups', component: () => import('./pages/followups/index.vue'), meta: { title: '不满意业主跟进' } },
    { path: '/stats', component: () => import('./pages/stats/index.vue'), meta: { title: '统计分析' } },
    { path: '/fund', redirect: '/fund/ledger' },
    { path: '/fund/ledger', component: () => import('./pages/fund/ledger/index.vue'), meta: { title: '保修金明细账' } },
    { path: '/fund/reconcile', component: () => import('./pages/fund/reconcile/index.vue'), meta: { title: '季度对账' } },
    { path: '/fund/payments', component: () => import('./pages/fund/payments/index.vue'), meta: { title: '委托维修与付款' } },
    { path: '/archive/:unit', component: () => import('./pages/archive/index.vue'), meta: { title: '房屋维修档案' } },
    ...masterRoutes,
  ],
})
