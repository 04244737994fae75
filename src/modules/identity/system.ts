/** The platform's own account (created by migration 0007): the actor of scheduled and seeded work. */
export const SYSTEM_USER_ID = '00000000-0000-4000-8000-000000000001';
