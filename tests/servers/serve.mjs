// Starts one test server on 127.0.0.1 and prints one JSON line when it accepts connections:
//   {"endpoint": "http://127.0.0.1:PORT", "port": PORT}
// then runs until its standard input closes (or it is signalled), and stops the server with it.
//
//   node serve.mjs s3 --data DIR [--port P] [--bucket NAME]   s3rver (S3 API; does not enforce If-None-Match on PUT)
//   node serve.mjs azure --data DIR [--port P]                Azurite's blob service (enforces conditional writes)
//   node serve.mjs nginx --data DIR [--port P] [--throttle RATE] [--proxy URL]
//        nginx serving DIR with byte ranges; --throttle answers requests above RATE per second with 503;
//        --proxy forwards to URL instead of serving DIR (a throttling proxy in front of s3rver or Azurite).
// Used by the xunit fixtures (ZarrAudio.Testing/TestServer) and by the Pester helpers alike.
import { spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [kind, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, "")] = rest[i + 1];
if (!opt.data) fail("--data DIR is required");
mkdirSync(opt.data, { recursive: true });

function fail(message) {
  process.stderr.write(`serve.mjs: ${message}\n`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const c = connect(port, "127.0.0.1");
    c.once("connect", () => { c.destroy(); resolve(true); });
    c.once("error", () => resolve(false));
  });
}

const port = opt.port ? Number(opt.port) : await freePort();
let child;
if (kind === "s3") {
  child = spawn(process.execPath, [join(here, "node_modules/s3rver/bin/s3rver.js"), "-d", opt.data, "-a", "127.0.0.1", "-p", String(port),
    "--configure-bucket", opt.bucket ?? "archive", "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
} else if (kind === "azure") {
  child = spawn(process.execPath, [join(here, "node_modules/azurite/dist/src/blob/main.js"), "--blobHost", "127.0.0.1", "--blobPort", String(port),
    "--location", opt.data, "--silent", "--skipApiVersionCheck", "--loose", ...(process.env.AZURITE_DEBUG ? ["--debug", process.env.AZURITE_DEBUG] : [])],
    { stdio: ["ignore", "ignore", "inherit"] });
} else if (kind === "nginx") {
  // One process (no master, no daemon), everything in DIR/.nginx, so it runs as any user and leaves nothing behind.
  const work = join(opt.data, ".nginx");
  mkdirSync(work, { recursive: true });
  const limit = opt.throttle ? `limit_req_zone $server_name zone=throttle:1m rate=${opt.throttle}r/s;` : "";
  const limitUse = opt.throttle ? "limit_req zone=throttle nodelay; limit_req_status 503;" : "";
  const serve = opt.proxy
    ? `proxy_pass ${opt.proxy}; proxy_set_header Host $http_host; proxy_request_buffering off; client_max_body_size 0;`
    : `root ${opt.data}; autoindex off;`;
  writeFileSync(join(work, "nginx.conf"), `
daemon off; master_process off; worker_processes 1; pid ${work}/nginx.pid; error_log ${work}/error.log warn;
events { worker_connections 256; }
http {
  log_format status '$status'; access_log ${work}/access.log status; sendfile on; types { } default_type application/octet-stream;
  client_body_temp_path ${work}/body; proxy_temp_path ${work}/proxy; fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi; scgi_temp_path ${work}/scgi;
  ${limit}
  server { listen 127.0.0.1:${port}; server_name test; location / { ${limitUse} ${serve} } }
}
`);
  const nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].find((p) => existsSync(p)) ?? "nginx";
  child = spawn(nginx, ["-p", work, "-c", join(work, "nginx.conf")], { stdio: ["ignore", "ignore", "inherit"] });
} else fail(`unknown server '${kind}' (s3, azure or nginx)`);

child.once("exit", (code, signal) => {
  process.stderr.write(`serve.mjs: ${kind} exited (${code ?? signal})\n`);
  process.exit(1);
});
// A graceful stop (SIGTERM) first: Azurite writes its metadata database only from time to time and on shutdown.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.removeAllListeners("exit");
  child.once("exit", () => process.exit(0));
  child.kill("SIGTERM");
  // Azurite closes only once its clients' connections are idle; killed earlier it loses what it had not saved.
  setTimeout(() => {
    process.stderr.write(`serve.mjs: ${kind} did not stop within 30 s of SIGTERM and was killed (unsaved data is lost)\n`);
    child.kill("SIGKILL");
    process.exit(0);
  }, 30000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();

const deadline = Date.now() + 30000;
while (!(await accepts(port))) {
  if (Date.now() > deadline) { child.kill("SIGKILL"); fail(`${kind} did not listen on ${port} within 30 s`); }
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write(JSON.stringify({ endpoint: `http://127.0.0.1:${port}`, port }) + "\n");
