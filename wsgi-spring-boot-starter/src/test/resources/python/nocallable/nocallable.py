wsgi_app = None
