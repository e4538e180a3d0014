from django.urls import path

from blog import views

urlpatterns = [
    path("", views.index, name="index"),
    path("plaintext", views.plaintext, name="plaintext"),
    path("echo", views.echo, name="echo"),
    path("posts", views.posts, name="posts"),
    path("posts/<int:id>", views.post, name="post"),
    path("comments", views.comments, name="comments"),
    path("comments/<int:id>", views.comment, name="comment"),
    path("iris", views.iris, name="iris"),
    path("interop", views.interop, name="interop"),
]

handler404 = "blog.views.not_found"
handler500 = "blog.views.server_error"
