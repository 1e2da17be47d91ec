from django.urls import path

from . import views

urlpatterns = [
    path('', views.chat_response, name='chat-response'),
    path('webtext/', views.add_webtext, name='add-webtext'),
    path('<int:conversation_id>/', views.conversation_history, name='conversation-history'),
    path('<int:conversation_id>/clear/', views.clear_conversation, name='clear-conversation'),
]
