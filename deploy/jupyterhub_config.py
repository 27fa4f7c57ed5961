"""JupyterHub for a policykit class on one machine: local accounts, nbgrader's exchange.

    jupyterhub -f deploy/jupyterhub_config.py        # as root, from a checkout

Each person logs in with their own account on the machine (PAM: the system password), and the
hub starts their JupyterLab as that account, so nbgrader's exchange knows who fetched and
submitted what. Instructors get nbgrader's Formgrader, Courses and Create Assignment panels;
students get only Assignments (and Validate). tests/test_hub.py runs this file as it is, with
the environment variables below pointing at temporary folders and free loopback ports.

Environment (defaults in brackets):

POLICYKIT_INSTRUCTORS, POLICYKIT_STUDENTS
    Comma-separated account names. Only these accounts may log in. [none]
POLICYKIT_HUB_URL
    Where people connect. Put a TLS proxy in front for anything but a closed network.
    [http://127.0.0.1:8000]
POLICYKIT_HUB_API_URL, POLICYKIT_PROXY_API_URL
    The hub's and the proxy's internal APIs. [http://127.0.0.1:8081, http://127.0.0.1:8001]
POLICYKIT_HUB_STATE
    Folder for the hub's database, cookie secret and proxy pid file. [/srv/jupyterhub]
POLICYKIT_CHP, POLICYKIT_SINGLEUSER
    The proxy (npm's configurable-http-proxy) and the single-user server command, for when
    they are not on root's PATH. [configurable-http-proxy, jupyterhub-singleuser]
POLICYKIT_JUPYTER_CONFIG
    Extra Jupyter config folder every user's server reads, e.g. one holding
    deploy/nbgrader_config.py (the exchange). /etc/jupyter is always read. [none]
POLICYKIT_EXCHANGE
    Passed to every user's server; deploy/nbgrader_config.py reads it. [unset]
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
ROLE_CONFIG = {"instructor": HERE / "jupyter" / "instructor",
               "student": HERE / "jupyter" / "student"}


def _names(var):
    return [n.strip() for n in os.environ.get(var, "").split(",") if n.strip()]


INSTRUCTORS = _names("POLICYKIT_INSTRUCTORS")
STUDENTS = _names("POLICYKIT_STUDENTS")
STATE = Path(os.environ.get("POLICYKIT_HUB_STATE", "/srv/jupyterhub"))

# Network: the public address, the hub's API, the proxy's API.
c.JupyterHub.bind_url = os.environ.get("POLICYKIT_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get("POLICYKIT_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("POLICYKIT_PROXY_API_URL",
                                                 "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.command = [os.environ.get("POLICYKIT_CHP", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# Who: local accounts, checked by PAM. No session bookkeeping (not needed for JupyterLab).
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)

# Roles. Groups mirror nbgrader's roles; instructors may see the class list and open a
# student's server (to help with a stuck notebook) but are not hub admins.
c.JupyterHub.load_groups = {"instructors": {"users": INSTRUCTORS},
                            "students": {"users": STUDENTS}}
c.JupyterHub.load_roles = [{
    "name": "instructor",
    "description": "Sees the class and can open students' servers",
    "scopes": ["list:users", "read:users", "access:servers!group=students"],
    "groups": ["instructors"],
}]

# Each user's JupyterLab, started as that account in its home folder.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.environ.get("POLICYKIT_SINGLEUSER", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
if os.environ.get("POLICYKIT_EXCHANGE"):
    c.Spawner.environment = {"POLICYKIT_EXCHANGE": os.environ["POLICYKIT_EXCHANGE"]}


def _role(name):
    return "instructor" if name in INSTRUCTORS else "student"


def pre_spawn_hook(spawner):
    """Give the server its role's Jupyter config: which nbgrader panels, which course."""
    folders = [str(ROLE_CONFIG[_role(spawner.user.name)])]
    if os.environ.get("POLICYKIT_JUPYTER_CONFIG"):
        folders.append(os.environ["POLICYKIT_JUPYTER_CONFIG"])
    spawner.environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(folders)


c.Spawner.pre_spawn_hook = pre_spawn_hook
