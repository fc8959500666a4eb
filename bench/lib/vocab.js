// Word lists for plausible identifiers, prose and data.
export const NOUNS = ['user', 'account', 'order', 'invoice', 'campaign', 'contact', 'segment', 'audience', 'template',
  'message', 'event', 'session', 'token', 'webhook', 'payment', 'report', 'export', 'import', 'job', 'queue', 'tenant',
  'workspace', 'list', 'tag', 'journey', 'trigger', 'schedule', 'metric', 'dashboard', 'asset', 'form', 'lead',
  'subscriber', 'delivery', 'bounce', 'click', 'open', 'variant', 'experiment', 'plan', 'quota', 'region', 'cache',
  'config', 'profile', 'record', 'batch', 'cursor', 'page', 'filter', 'rule', 'address', 'domain', 'sender', 'inbox'];
export const VERBS = ['get', 'fetch', 'load', 'build', 'create', 'update', 'delete', 'sync', 'parse', 'render', 'send',
  'resolve', 'validate', 'normalize', 'merge', 'compute', 'handle', 'process', 'enqueue', 'flush', 'retry', 'map',
  'apply', 'list', 'find', 'save', 'emit', 'register', 'schedule', 'cancel', 'refresh', 'serialize', 'format'];
export const ADJS = ['active', 'pending', 'primary', 'default', 'recent', 'stale', 'remote', 'local', 'shared',
  'internal', 'public', 'draft', 'archived', 'cached', 'raw', 'final', 'next', 'current', 'legacy', 'batched'];
export const WORDS = ('the a an of to in for on with by from and or but if when then this that these those it its is are was ' +
  'be been can will should must may we you they our your their campaign audience email list send schedule report ' +
  'contact segment data export import sync integration key settings page account team workflow automation trigger ' +
  'deliverability open click rate metric dashboard customer lead form landing budget quarter pipeline release ' +
  'deploy service database query index migration cluster node region latency error retry timeout request response ' +
  'header token secret rotate revoke access permission role admin owner member invite billing plan professional ' +
  'upgrade limit quota usage monthly weekly daily new old first last next each every all some any none more less ' +
  'fast slow simple complex stable beta default custom optional required').split(' ');
export const PROJECTS = ['billing-api', 'campaign-engine', 'contact-sync', 'audience-builder', 'mailer', 'webhooks',
  'analytics', 'reporting', 'auth-gateway', 'admin-portal', 'web-app', 'mobile-bff', 'ui-kit', 'scheduler',
  'import-worker', 'export-worker', 'crm-bridge', 'zapier-sync', 'template-studio', 'journey-runner', 'deliverability',
  'bounce-processor', 'link-tracker', 'landing-pages', 'forms-service', 'search-indexer', 'notifications', 'tenant-manager',
  'rate-limiter', 'feature-flags', 'audit-log', 'data-pipeline', 'warehouse-loader', 'metrics-agent', 'edge-proxy',
  'docs-site', 'status-page', 'cli-tools', 'shared-utils', 'sdk-js', 'sdk-python', 'sdk-go', 'ops-scripts'];
export const FIRST = ['Ada', 'Bruno', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena',
  'Mateo', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
export const LAST = ['Andersen', 'Barros', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ito', 'Jansen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Urban', 'Varga', 'Weber'];
export const COMPANIES = ['Acme Marketing', 'Northwind', 'Globex', 'Initech', 'Umbrella Retail', 'Stark Outfitters',
  'Wayne Foods', 'Hooli', 'Vandelay Imports', 'Soylent Labs', 'Tyrell Travel', 'Cyberdyne Health', 'Wonka Sweets'];
export const TLDS = ['com', 'io', 'net', 'org', 'de', 'fr', 'co.uk'];
export const LEVELS = ['INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARN', 'ERROR'];
export const HTTP = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const STATUS = [200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503];
