// Tests never depend on the host's time zone; CI also runs them under another TZ.
process.env.TZ = process.env.TZ || 'UTC';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
