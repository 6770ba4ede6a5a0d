//! E2E tests live in tests/.
