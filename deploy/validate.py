#!/usr/bin/env python3
"""Offline checks of deploy/ (run through deploy/validate.sh). No Docker engine or cluster is needed: this catches
what can go wrong before one is involved - a renamed project, a dangling depends_on, a Service selecting nothing,
a probe on a port the container does not name, a host name no Service answers to, Compose and Kubernetes drifting
apart. Prints ERROR lines (exit 1) and WARN lines (exit 0).

  python3 deploy/validate.py                    # all checks
  python3 deploy/validate.py --context-files    # list the Docker build context after Dockerfile.dockerignore
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
# Owned by others (the Aspire AppHost and the demo): not validated here.
NOT_OURS = ("deploy/HcsLicensing.AppHost", "deploy/demo")
# The four services (3 replicas, /health/ready and /health/live), the token issuer (2 replicas, the same probes) and
# the two simulators (1 replica, /health).
SERVICES = {"jobtracker": "HcsLicensing.JobTracker", "smartaccountsync": "HcsLicensing.SmartAccountSync",
            "chpa": "HcsLicensing.Chpa", "clusterassign": "HcsLicensing.ClusterAssign"}
ISSUER = {"identity": "HcsLicensing.Identity"}
SIMULATORS = {"cssm-simulator": "HcsLicensing.CssmSimulator", "uc-simulator": "HcsLicensing.UcSimulator"}
# The operator console: 2 replicas sharing the session keys' volume, the services' probes, no database or broker.
CONSOLE = {"console": "HcsLicensing.Console"}
APPS = {**SERVICES, **ISSUER, **SIMULATORS, **CONSOLE}
# Addresses a browser opens, not the pod: in Kubernetes they name your Ingress hosts, which no Service is named after.
BROWSER_FACING = ("Authentication__BrowserAuthority", "Console__TraceUrl", "RedirectUris__")
# Environment entries that carry credentials into $(VAR) references rather than configuring the app.
K8S_HELPER_ENV = {"DB_PASSWORD", "RABBITMQ_PASSWORD", "KEYRING_PASSWORD", "OTLP_API_KEY"}
# The vhost every service's ConnectionStrings__RabbitMq names (rabbitmq-init gives each service's user rights on it).
VHOST = "hcs"
# The queue type the deployments use, as the code spells it (ServiceDefaults/Messaging/QueueTypes.cs).
QUEUE_TYPE = re.search(r'const string Quorum = "(\w+)"', open(os.path.join(ROOT, "services", "HcsLicensing.ServiceDefaults", "Messaging", "QueueTypes.cs"), encoding="utf-8").read()).group(1)
# What a Program.cs call makes the service read at start (it refuses to start without): the configuration keys the
# deployment must set. ConnectionStrings are checked separately.
REQUIRED_BY_CALL = {
    "AddServiceApiSecurity": ["Authentication__Authority", "Authentication__Audience"],
    "AddServiceDataProtection": ["DataProtection__CertificatePath", "DataProtection__CertificatePassword"],
    "AddServiceDatabase": ["ConnectionStrings__Database"],
    "AddServiceBus": ["ConnectionStrings__RabbitMq"],
}
# Infrastructure and one-shot jobs that may hold the administrators' credentials; no application may.
ADMIN_ENV = ("POSTGRES_ADMIN_", "RABBITMQ_ADMIN_")
ADMIN_HOLDERS = {"secrets-check", "postgres", "postgres-init", "rabbitmq", "rabbitmq-init"}

errors, warnings, checks = [], [], [0]


def check(ok, message):
    checks[0] += 1
    if not ok:
        errors.append(message)
    return ok


def rel(path):
    return os.path.relpath(path, ROOT)


def load_yaml_docs(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def projects():
    """Deployable projects by name (folder name = csproj name = assembly name), under services/ and simulators/."""
    found = {}
    for top in ("services", "simulators"):
        for name in sorted(os.listdir(os.path.join(ROOT, top))):
            csproj = os.path.join(ROOT, top, name, name + ".csproj")
            if os.path.isfile(csproj):
                found[name] = csproj
    return found


def project_references(csproj, seen=None):
    """The csproj and every project it references, transitively."""
    seen = seen if seen is not None else set()
    csproj = os.path.normpath(csproj)
    if csproj in seen or not os.path.isfile(csproj):
        return seen
    seen.add(csproj)
    for ref in ET.parse(csproj).getroot().iter("ProjectReference"):
        include = ref.get("Include", "").replace("\\", "/")
        project_references(os.path.join(os.path.dirname(csproj), include), seen)
    return seen


# --- Docker ------------------------------------------------------------------------------------------------------

def dockerignore_patterns():
    path = os.path.join(DEPLOY, "docker", "Dockerfile.dockerignore")
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f]
    return [line for line in lines if line and not line.startswith("#")]


def ignored(path, patterns):
    """Docker's rule, as far as these patterns need it: the last matching pattern wins, '!' re-includes, and a
    pattern matching a folder matches everything under it."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern[1:] if negate else pattern
        regex = re.escape(pat).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        if any(re.fullmatch(regex, p) for p in prefixes):
            result = not negate
    return result


def context_files():
    """The files a build from the working tree sends, after Dockerfile.dockerignore (git's view of the tree:
    tracked and untracked, not git-ignored)."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    patterns = dockerignore_patterns()
    return [f for f in out if f and os.path.exists(os.path.join(ROOT, f)) and not ignored(f, patterns)]


def check_dockerfile(all_projects):
    dockerfile = os.path.join(DEPLOY, "docker", "Dockerfile")
    text = open(dockerfile, encoding="utf-8").read()
    default = re.search(r"^ARG PROJECT=(\S+)", text, re.M)
    if check(default is not None, "Dockerfile: no default for ARG PROJECT"):
        check(default.group(1) in all_projects, f"Dockerfile: ARG PROJECT={default.group(1)} names no project")
    for line in re.findall(r"^COPY (.+)$", text, re.M):
        args = [a for a in line.split() if not a.startswith("--")]
        if "--from=" in line:
            continue
        for source in args[:-1]:
            check(source == "." or os.path.exists(os.path.join(ROOT, source)), f"Dockerfile: COPY source {source} is missing")
    for image in re.findall(r"^FROM (\S+)", text, re.M):
        check(image.startswith("mcr.microsoft.com/dotnet/"), f"Dockerfile: unexpected base image {image}")

    patterns = dockerignore_patterns()
    needed = ["Directory.Build.props", "Directory.Packages.props", "global.json", "deploy/docker/healthcheck.sh"]
    for name, csproj in all_projects.items():
        needed += [rel(p) for p in project_references(csproj)]
    for path in sorted(set(needed)):
        check(os.path.exists(os.path.join(ROOT, path)), f"build needs {path}, which is missing")
        check(not ignored(path, patterns), f"Dockerfile.dockerignore excludes {path}, which the build needs")
    for path in ["tests/HcsLicensing.TestBed/x.cs", "services/HcsLicensing.Chpa/bin/Debug/x.dll",
                 "services/HcsLicensing.Chpa/obj/project.assets.json", "deploy/.env", ".git/config"]:
        check(ignored(path, patterns), f"Dockerfile.dockerignore lets {path} into the build context")


# --- Compose -----------------------------------------------------------------------------------------------------

URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^:/?#]+)(?::(\d+))?", re.I)
NPGSQL_HOST = re.compile(r"(?:^|;)\s*Host\s*=\s*([^;]+)", re.I)
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+][^}]*)?\}")


def hosts_in(value):
    """(host, port) pairs a configuration value points at: URLs and Npgsql Host=."""
    value = str(value)
    found = [(m.group(1), m.group(2)) for m in [URL_HOST.match(value)] if m]
    found += [(h.strip(), None) for h in NPGSQL_HOST.findall(value)]
    return found


def env_example():
    values = {}
    with open(os.path.join(DEPLOY, ".env.example"), encoding="utf-8") as f:
        for line in f:
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def interpolate(value, variables):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?message} with .env.example's values."""
    def one(m):
        name, rest = m.group(1), m.group(2) or ""
        default = rest.lstrip(":")[1:] if rest.lstrip(":").startswith("-") else ""
        return variables.get(name) or default
    return INTERPOLATION.sub(one, str(value))


def check_compose(all_projects):
    path = os.path.join(DEPLOY, "docker-compose.yml")
    raw = open(path, encoding="utf-8").read()
    compose = yaml.safe_load(raw)
    services = compose.get("services", {})
    base = os.path.dirname(path)

    defined = env_example()
    used = set()
    for name, default in INTERPOLATION.findall(raw):
        used.add(name)
        check(name in defined or default.lstrip(":").startswith("-"),
              f"compose: ${{{name}}} has no default and is not in deploy/.env.example")
        # A variable without a default must make Compose refuse to start when it is missing or empty.
        check(default.startswith((":-", "-", ":?")), f"compose: ${{{name}{default}}} neither has a default nor refuses (:?) when unset")
    for name, value in defined.items():
        check(name in used, f"deploy/.env.example documents {name}, which docker-compose.yml does not use")
        # The example is documentation: it must not hold a secret that would work if copied as it is.
        check(value == "" or not re.search(r"PASSWORD|SECRET|TOKEN|KEY|_FILE$", name),
              f"deploy/.env.example gives {name} a value: secrets there must stay empty")
    for svc, spec in services.items():
        if svc not in ADMIN_HOLDERS:
            text = str(spec.get("environment") or {})
            check(not any(f"${{{prefix}" in text for prefix in ADMIN_ENV), f"compose {svc}: gets an administrator's credentials")
        env = spec.get("environment") or {}
        check("DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS" not in env and "Unsecured" not in str(env),
              f"compose {svc}: anonymous access configured")

    published = {}
    for svc, spec in services.items():
        for port in spec.get("ports", []):
            parts = str(port).split(":")
            if len(parts) >= 2:
                published[parts[-2]] = svc

    built = {}
    for svc, spec in services.items():
        build = spec.get("build")
        if build:
            context = os.path.normpath(os.path.join(base, build.get("context", ".")))
            check(os.path.isdir(context), f"compose {svc}: build context {rel(context)} is missing")
            dockerfile = os.path.join(context, build.get("dockerfile", "Dockerfile"))
            check(os.path.isfile(dockerfile), f"compose {svc}: Dockerfile {rel(dockerfile)} is missing")
            project = (build.get("args") or {}).get("PROJECT")
            if check(project in all_projects, f"compose {svc}: build arg PROJECT={project} names no project"):
                built[svc] = project
            check(str(spec.get("image", "")).split(":")[0] == f"hcslicensing/{svc}",
                  f"compose {svc}: image should be hcslicensing/{svc} (the name k8s deploys)")
        depends = spec.get("depends_on") or {}
        for target in (depends if isinstance(depends, (list, dict)) else []):
            if check(target in services, f"compose {svc}: depends_on {target}, which is not a service"):
                condition = depends[target].get("condition") if isinstance(depends, dict) else None
                if condition == "service_healthy":
                    check("healthcheck" in services[target], f"compose {svc}: waits for {target} to be healthy, which has no healthcheck")
        for volume in spec.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith("."):
                check(os.path.exists(os.path.join(base, source)), f"compose {svc}: volume source {source} is missing")
        env = spec.get("environment") or {}
        if isinstance(env, list):
            env = dict(e.split("=", 1) for e in env)
        for key, value in env.items():
            for host, port in hosts_in(interpolate(value, defined)):
                if host in ("localhost", "127.0.0.1"):
                    check(port in published, f"compose {svc}: {key} points at localhost:{port}, which no service publishes")
                else:
                    check(host in services, f"compose {svc}: {key} points at host {host}, which is not a service")
        if svc in built:
            check("healthcheck" in spec, f"compose {svc}: no healthcheck")
            want = "/health" if svc in SIMULATORS else "/health/ready"
            check(want in (spec.get("healthcheck") or {}).get("test", []), f"compose {svc}: healthcheck should probe {want}")
    check(set(built) == set(APPS), f"compose: builds {sorted(built)}, expected {sorted(APPS)}")
    return services, built


# --- Kubernetes --------------------------------------------------------------------------------------------------

def k8s_objects():
    kdir = os.path.join(DEPLOY, "k8s")
    kustomization = yaml.safe_load(open(os.path.join(kdir, "kustomization.yaml"), encoding="utf-8"))
    objects = []
    for resource in kustomization.get("resources", []):
        path = os.path.join(kdir, resource)
        if check(os.path.isfile(path), f"kustomization: resource {resource} is missing"):
            objects += load_yaml_docs(path)
    # The Secrets come only from files under secrets/, which git must ignore (nothing committed can be applied).
    generators = kustomization.get("secretGenerator", [])
    for generator in generators:
        for source in generator.get("envs", []) + [f.split("=", 1)[-1] for f in generator.get("files", [])]:
            check(source.startswith("secrets/"), f"kustomization: Secret {generator['name']} reads {source}, outside secrets/")
            ignored_by_git = subprocess.run(["git", "check-ignore", "-q", os.path.join(kdir, source)], cwd=ROOT).returncode == 0
            check(ignored_by_git, f"kustomization: {source} is not git-ignored: a secret could be committed")
    check(not any(o.get("kind") == "Secret" for o in objects), "k8s: a Secret is committed in a manifest; use secretGenerator")
    # kubectl renders what `kubectl apply -k` would send; when it is installed, check that instead of the raw files:
    # in a copy of k8s/ without secrets/ (which must fail) and with a set make-secrets.sh draws (which must render).
    kubectl = shutil.which("kubectl")
    if kubectl:
        with tempfile.TemporaryDirectory() as work:
            shutil.copytree(kdir, os.path.join(work, "k8s"), ignore=shutil.ignore_patterns("secrets"))
            bare = subprocess.run([kubectl, "kustomize", os.path.join(work, "k8s")], capture_output=True, text=True)
            check(bare.returncode != 0, "kubectl kustomize renders without deploy/k8s/secrets/: secrets would have defaults")
            shutil.copy(os.path.join(DEPLOY, "make-secrets.sh"), work)
            made = subprocess.run(["bash", os.path.join(work, "make-secrets.sh"), "k8s"], capture_output=True, text=True)
            check(made.returncode == 0, f"make-secrets.sh k8s failed: {made.stderr.strip()}")
            result = subprocess.run([kubectl, "kustomize", os.path.join(work, "k8s")], capture_output=True, text=True)
        if check(result.returncode == 0, f"kubectl kustomize (with make-secrets.sh's files) failed: {result.stderr.strip()}"):
            rendered = [d for d in yaml.safe_load_all(result.stdout) if d]
            check(len(rendered) == len(objects) + len(generators),
                  f"kustomize rendered {len(rendered)} objects, files hold {len(objects)} and {len(generators)} Secrets")
            objects = rendered
            for obj in objects:
                if obj["kind"] != "Namespace":
                    check(obj["metadata"].get("namespace") == kustomization.get("namespace"),
                          f"k8s {obj['kind']}/{obj['metadata']['name']}: not in namespace {kustomization.get('namespace')}")
    else:
        warnings.append("kubectl not installed: checked the raw manifests, not kustomize's rendering")
    return kustomization, objects


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_k8s(compose_services):
    kustomization, objects = k8s_objects()
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
    configmaps, secrets = by_kind.get("ConfigMap", {}), by_kind.get("Secret", {})
    clusters = by_kind.get("RabbitmqCluster", {})
    # Secrets the RabbitMQ Cluster Operator creates at run time.
    generated_secrets = {f"{name}-default-user": {"username", "password"} for name in clusters}
    if not shutil.which("kubectl"):   # unrendered: generator names without their keys (the files are not committed)
        secrets = {**secrets, **{g["name"]: None for g in kustomization.get("secretGenerator", [])}}
    service_names = set(by_kind.get("Service", {})) | set(clusters)
    workloads = {**by_kind.get("Deployment", {}), **by_kind.get("StatefulSet", {}), **by_kind.get("Job", {})}
    kustomize_images = {i["name"] for i in kustomization.get("images", [])}

    for name, cluster in clusters.items():
        check(cluster["spec"].get("replicas") == 3, f"RabbitmqCluster {name}: replicas should be 3")
        config = cluster["spec"].get("rabbitmq", {}).get("additionalConfig", "")
        check(re.search(r"^\s*default_queue_type\s*=\s*quorum\s*$", config, re.M) is not None,
              f"RabbitmqCluster {name}: default_queue_type = quorum is not set")

    app_keys = {}
    for name, workload in workloads.items():
        spec, template = workload["spec"], workload["spec"]["template"]
        labels = template["metadata"].get("labels", {})
        job = workload["kind"] == "Job"
        check(job or matches(spec["selector"].get("matchLabels"), labels), f"k8s {name}: selector does not match its pod labels")
        for container in template["spec"]["containers"]:
            where = f"k8s {name}/{container['name']}"
            port_names = {p.get("name") for p in container.get("ports", [])}
            env_text = str(container.get("env", []))
            check("DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS" not in env_text and "Unsecured" not in env_text,
                  f"{where}: anonymous access configured")
            for probe in ("readinessProbe", "livenessProbe") if not job else ():
                if check(probe in container, f"{where}: no {probe}"):
                    port = (container[probe].get("httpGet") or container[probe].get("tcpSocket") or {}).get("port")
                    check(port is None or isinstance(port, int) or port in port_names, f"{where}: {probe} uses unnamed port {port}")
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                check({"cpu", "memory"} <= set(resources.get(kind, {})), f"{where}: resources.{kind} needs cpu and memory")
            image = container["image"].split(":")[0]
            if image.startswith("hcslicensing/"):
                check(image in kustomize_images or not shutil.which("kubectl"), f"{where}: {image} missing from kustomization images")
                app = image.split("/", 1)[1]
                check(app in APPS, f"{where}: {image} is none of the suite's images")
                check(app in compose_services, f"{where}: {image} is not built by docker-compose.yml")
                ready = container.get("readinessProbe", {}).get("httpGet", {}).get("path")
                live = container.get("livenessProbe", {}).get("httpGet", {}).get("path")
                if app in SERVICES or app in ISSUER or app in CONSOLE:
                    want = 3 if app in SERVICES else 2
                    check(spec.get("replicas") == want, f"{where}: runs {want} replicas")
                    check((ready, live) == ("/health/ready", "/health/live"), f"{where}: probes should be /health/ready and /health/live")
                else:
                    check(spec.get("replicas") == 1, f"{where}: a simulator keeps state in memory: 1 replica")
                    check((ready, live) == ("/health", "/health"), f"{where}: the simulators answer /health")
            # Environment: referenced ConfigMaps and Secrets exist, $(VAR) names are defined before use,
            # host names resolve to a Service.
            defined, keys = set(), {}
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    cm = source["configMapRef"]["name"]
                    if check(cm in configmaps, f"{where}: envFrom ConfigMap {cm} does not exist"):
                        keys.update(configmaps[cm].get("data", {}))
                if "secretRef" in source:
                    check(source["secretRef"]["name"] in secrets, f"{where}: envFrom Secret {source['secretRef']['name']} does not exist")
            defined |= set(keys)
            for entry in container.get("env", []):
                ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    if ref["name"] in secrets and secrets[ref["name"]] is None:
                        continue   # a generator's Secret, unrendered
                    secret = secrets.get(ref["name"])
                    available = set((secret or {}).get("stringData", {})) | set((secret or {}).get("data", {})) if secret \
                        else generated_secrets.get(ref["name"])
                    check(available is not None, f"{where}: Secret {ref['name']} does not exist")
                    check(available is None or ref["key"] in available, f"{where}: Secret {ref['name']} has no key {ref['key']}")
                for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", str(entry.get("value", ""))):
                    check(var in defined, f"{where}: {entry['name']} uses $({var}) before it is defined")
                defined.add(entry["name"])
                keys[entry["name"]] = entry.get("value", "")   # "" for a value from a Secret
            for key, value in keys.items():
                if any(part in key for part in BROWSER_FACING):
                    continue
                for host, _ in hosts_in(value):
                    check(host in service_names, f"{where}: {key} points at host {host}, which no Service is named")
            for volume in template["spec"].get("volumes", []):
                if "configMap" in volume:
                    check(volume["configMap"]["name"] in configmaps, f"k8s {name}: volume ConfigMap {volume['configMap']['name']} does not exist")
                if "secret" in volume:
                    secret = secrets.get(volume["secret"]["secretName"], False)
                    if check(secret is not False, f"k8s {name}: volume Secret {volume['secret']['secretName']} does not exist") and secret:
                        for item in volume["secret"].get("items", []):
                            check(item["key"] in secret.get("data", {}), f"k8s {name}: Secret {volume['secret']['secretName']} has no key {item['key']}")
            if container["image"].startswith("hcslicensing/"):
                app_keys[container["image"].split("/", 1)[1].split(":")[0]] = keys
            elif job:
                app_keys[name] = keys

    for kind in ("Service", "PodDisruptionBudget"):
        for name, obj in by_kind.get(kind, {}).items():
            selector = obj["spec"].get("selector", {})
            selector = selector.get("matchLabels", selector) if kind == "PodDisruptionBudget" else selector
            selected = [w for w in workloads.values() if matches(selector, w["spec"]["template"]["metadata"].get("labels", {}))]
            if check(selected, f"k8s {kind} {name}: selects no Deployment or StatefulSet") and kind == "Service":
                ports = {p.get("name") for w in selected for c in w["spec"]["template"]["spec"]["containers"] for p in c.get("ports", [])}
                for port in obj["spec"].get("ports", []):
                    target = port.get("targetPort", port["port"])
                    check(isinstance(target, int) or target in ports, f"k8s Service {name}: targetPort {target} is not a container port")
    return by_kind, app_keys


# --- Across files ------------------------------------------------------------------------------------------------

def init_script_names(path):
    """The SERVICES="..." list of an init script: the roles/databases or broker users it creates."""
    text = open(path, encoding="utf-8").read()
    found = re.search(r'^SERVICES="([^"]*)"', text, re.M)
    return text, (found.group(1).split() if found else [])


def read_sources(folders):
    sources = ""
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in ("bin", "obj")]
            for f in filenames:
                if f.endswith((".cs", ".json")):
                    sources += open(os.path.join(dirpath, f), encoding="utf-8", errors="replace").read()
    return sources


def check_consistency(compose_services, k8s_by_kind, k8s_app_keys, all_projects):
    configmaps = k8s_by_kind.get("ConfigMap", {})
    # The init scripts: Kubernetes runs the same text as Compose.
    pg_script, databases = init_script_names(os.path.join(DEPLOY, "postgres", "init-databases.sh"))
    mq_script, brokers = init_script_names(os.path.join(DEPLOY, "rabbitmq", "init-users.sh"))
    check(configmaps.get("postgres-init", {}).get("data", {}).get("init-databases.sh") == pg_script,
          "k8s ConfigMap postgres-init differs from deploy/postgres/init-databases.sh")
    check(configmaps.get("rabbitmq-init", {}).get("data", {}).get("init-users.sh") == mq_script,
          "k8s ConfigMap rabbitmq-init differs from deploy/rabbitmq/init-users.sh")
    # Each side's init jobs get a password for every role and user the scripts create (and nothing else).
    compose_jobs = {job: set(compose_services.get(job, {}).get("environment") or {}) for job in ("postgres-init", "rabbitmq-init")}
    for side, jobs in (("Compose", compose_jobs), ("Kubernetes", {j: set(k8s_app_keys.get(j, {})) for j in compose_jobs})):
        check({k for k in jobs["postgres-init"] if k.endswith("_DB_PASSWORD")} == {f"{d.upper()}_DB_PASSWORD" for d in databases},
              f"{side} postgres-init: passwords do not match the roles init-databases.sh creates ({databases})")
        check({k for k in jobs["rabbitmq-init"] if k.endswith("_RABBITMQ_PASSWORD")} == {f"{u.upper()}_RABBITMQ_PASSWORD" for u in brokers},
              f"{side} rabbitmq-init: passwords do not match the users init-users.sh creates ({brokers})")
    check(str((compose_services.get("rabbitmq-init", {}).get("environment") or {}).get("RABBITMQ_VHOST")) == VHOST
          and k8s_app_keys.get("rabbitmq-init", {}).get("RABBITMQ_VHOST") == VHOST, f"rabbitmq-init: RABBITMQ_VHOST is not {VHOST}")

    for app in list(SERVICES) + list(ISSUER) + list(SIMULATORS) + list(CONSOLE):
        compose_env = compose_services.get(app, {}).get("environment") or {}
        k8s_env = k8s_app_keys.get(app, {})
        project_dir = os.path.dirname(all_projects[APPS[app]])
        program = open(os.path.join(project_dir, "Program.cs"), encoding="utf-8").read()
        for side, env in (("Compose", compose_env), ("Kubernetes", k8s_env)):
            # Every key the service refuses to start without is set.
            for call, needed in REQUIRED_BY_CALL.items():
                if re.search(rf"\b{call}\b", program):
                    for key in needed:
                        check(key in env, f"{side} {app}: Program.cs calls {call}, which needs {key}, not set")
            # Its own database role and broker user, never an administrator or another service's.
            database = str(env.get("ConnectionStrings__Database", ""))
            if database:
                name = re.search(r"Database=(\w+)", database)
                user = re.search(r"Username=(\w+)", database)
                check(name is not None and name.group(1) == app and app in databases,
                      f"{side} {app}: ConnectionStrings__Database should name the database {app}, which init-databases.sh creates")
                check(user is not None and user.group(1) == app, f"{side} {app}: logs in to PostgreSQL as another role than {app}")
            amqp = str(env.get("ConnectionStrings__RabbitMq", ""))
            if amqp:
                url = re.match(r"amqps?://([^:@/]+):[^@]*@[^/]+/(.*)$", amqp)
                check(url is not None and url.group(1) == app and app in brokers,
                      f"{side} {app}: ConnectionStrings__RabbitMq should use the user {app}, which init-users.sh creates")
                check(url is not None and url.group(2) == VHOST, f"{side} {app}: ConnectionStrings__RabbitMq should name the vhost {VHOST}")
            # OTLP exports carry the dashboard's API key wherever they are sent.
            if "OTEL_EXPORTER_OTLP_ENDPOINT" in env:
                check("OTEL_EXPORTER_OTLP_HEADERS" in env, f"{side} {app}: exports OTLP without the dashboard's API key header")
        if app in SERVICES:
            # The queue settings the code accepts (ServiceDefaults/Messaging/QueueTypes.cs), the same on both sides.
            for side, env in (("Compose", compose_env), ("Kubernetes", k8s_env)):
                check(str(env.get("Messaging__QueueType", "")) == QUEUE_TYPE,
                      f"{side} {app}: Messaging__QueueType should be {QUEUE_TYPE} (the code's QueueTypes.Quorum), not {env.get('Messaging__QueueType')!r}")
                limit = str(env.get("Messaging__DeliveryLimit", ""))
                check(limit.isdigit() and int(limit) >= 1, f"{side} {app}: Messaging__DeliveryLimit should be a whole number of 1 or more, not {limit!r}")
        if app in SERVICES or app in CONSOLE:
            authority = str(compose_env.get("Authentication__Authority", ""))
            check(authority.rstrip("/") == str((compose_services.get("identity", {}).get("environment") or {}).get("Identity__Issuer", "")).rstrip("/"),
                  f"Compose {app}: Authentication__Authority is not Identity's Identity__Issuer")
            check(str(k8s_env.get("Authentication__Authority", "")).rstrip("/") == str(k8s_app_keys.get("identity", {}).get("Identity__Issuer", "")).rstrip("/"),
                  f"Kubernetes {app}: Authentication__Authority is not Identity's Identity__Issuer")
        # The same application settings on both sides (values differ where they are addresses).
        compose_keys = set(compose_env)
        k8s_keys = set(k8s_env) - K8S_HELPER_ENV
        check(compose_keys == k8s_keys, f"{app}: Compose sets {sorted(compose_keys - k8s_keys)} that Kubernetes does not, "
                                        f"Kubernetes {sorted(k8s_keys - compose_keys)} that Compose does not")
        # Is every Section__Key read somewhere in the project (or ServiceDefaults)? Only a warning: a service
        # being written may not read its keys yet.
        sources = read_sources((project_dir, os.path.join(ROOT, "services", "HcsLicensing.ServiceDefaults")))
        for key in compose_keys:
            if key.startswith("OTEL_") or "__" not in key:
                continue
            parts = key.split("__")
            if parts[0] == "ConnectionStrings":
                known = f'"{parts[1]}"' in sources
            else:
                known = f'"{parts[0]}"' in sources and re.search(rf"\b{re.escape(parts[-1])}\b", sources) is not None
            if not known:
                warnings.append(f"{app}: {key} is configured but {rel(project_dir)} does not read it (yet?)")


def check_yaml_and_workflows():
    for top in (DEPLOY, os.path.join(ROOT, ".github")):
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not rel(os.path.join(dirpath, d)).startswith(NOT_OURS)]
            for f in filenames:
                if f.endswith((".yml", ".yaml")):
                    path = os.path.join(dirpath, f)
                    try:
                        load_yaml_docs(path)
                        check(True, "")
                    except yaml.YAMLError as e:
                        check(False, f"{rel(path)} does not parse: {e}")
    workflows = os.path.join(ROOT, ".github", "workflows")
    for f in sorted(os.listdir(workflows)) if os.path.isdir(workflows) else []:
        text = open(os.path.join(workflows, f), encoding="utf-8").read()
        for path in set(re.findall(r"\b((?:tests|deploy|\.ci)/[\w./-]*\w)", text)):
            # A git-ignored path (deploy/.env, deploy/secrets) is made by the workflow itself (make-secrets.sh).
            made_by_run = any(subprocess.run(["git", "check-ignore", "-q", p], cwd=ROOT).returncode == 0 for p in (path, path + "/"))
            check(made_by_run or os.path.exists(os.path.join(ROOT, path)), f".github/workflows/{f} names {path}, which is missing")


def main():
    if "--context-files" in sys.argv:
        print("\n".join(context_files()))
        return 0
    all_projects = projects()
    check_yaml_and_workflows()
    check_dockerfile(all_projects)
    compose_services, _ = check_compose(all_projects)
    k8s_by_kind, k8s_app_keys = check_k8s(compose_services)
    check_consistency(compose_services, k8s_by_kind, k8s_app_keys, all_projects)
    for w in warnings:
        print(f"WARN  {w}")
    for e in dict.fromkeys(errors):
        print(f"ERROR {e}")
    print(f"validate.py: {checks[0]} checks, {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
