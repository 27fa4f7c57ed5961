"""Global nbgrader settings for a shared server: copy to ``/etc/jupyter/nbgrader_config.py``.

Every account on the hub - instructor and students - reads this file, so all of them agree on
where the exchange is and which course they are in. The course folder itself (``lessons/``) has
its own ``nbgrader_config.py`` with the instructor-only settings (course root, gradebook).
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

# The shared exchange: one folder (or one volume mounted in every user's container), created
# once with `mkdir -p /srv/nbgrader/exchange && chmod 1777 /srv/nbgrader/exchange`.
# POLICYKIT_EXCHANGE overrides it (the tests point it at a temporary folder).
c.Exchange.root = os.environ.get("POLICYKIT_EXCHANGE", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = "policykit"

# A submission counts only for the account that made it. nbgrader's own collect takes the
# latest submission filed under each name, whoever filed it (it only warns), so one student
# could replace another's work. This collect refuses such files and says so in its log
# (policykit/grading/exchange.py).
c.ExchangeFactory.collect = "policykit.grading.exchange.OwnerCheckedCollect"
