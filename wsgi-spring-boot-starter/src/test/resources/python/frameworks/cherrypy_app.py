"""A CherryPy app (imports pyexpat through xmlrpc.client): which context answered."""

import uuid

import cherrypy
import spring

CONTEXT_ID = uuid.uuid4().hex


class Root:
    @cherrypy.expose
    def context(self, group):
        spring.beans.rendezvous.meet(group, 2)
        cherrypy.response.headers["Content-Type"] = "text/plain"
        return CONTEXT_ID


cherrypy.config.update({"environment": "embedded", "engine.autoreload.on": False, "log.screen": False})
application = cherrypy.Application(Root(), script_name=None)
