/** The phone-width review view (phone.css uses the same width): one column, the drawer full-screen. */
export const PHONE_QUERY = '(max-width: 640px)';
