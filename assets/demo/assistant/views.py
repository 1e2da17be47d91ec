import json

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .models import Conversation, Message
from .services import answer_question, ingest_url


def _conversation_for(request, conversation_id=None):
    if not request.session.session_key:
        request.session.save()
    if conversation_id is None:
        return Conversation.objects.create(session_key=request.session.session_key)
    return get_object_or_404(Conversation, pk=conversation_id, session_key=request.session.session_key)


@csrf_exempt
@require_POST
def chat_response(request):
    body = json.loads(request.body or b'{}')
    question = body.get('question', '').strip()
    if not question:
        return JsonResponse({'error': 'question is required'}, status=400)
    print(f"[DEBUG] chat question={question!r} session={request.session.session_key}")

    conversation = _conversation_for(request, body.get('conversation_id'))
    history = list(conversation.messages.all())
    Message.objects.create(conversation=conversation, role='user', content=question)
    answer, confidence = answer_question(question, history)
    Message.objects.create(conversation=conversation, role='assistant', content=answer, confidence=confidence)
    return JsonResponse({'conversation_id': conversation.pk, 'answer': answer, 'confidence': confidence})


@csrf_exempt
@require_POST
def add_webtext(request):
    body = json.loads(request.body or b'{}')
    url = body.get('url')
    if not url:
        return JsonResponse({'error': 'url is required'}, status=400)
    return JsonResponse(ingest_url(url))


@require_GET
def conversation_history(request, conversation_id):
    conversation = _conversation_for(request, conversation_id)
    messages = [
        {'role': m.role, 'content': m.content, 'created_at': m.created_at.isoformat()}
        for m in conversation.messages.all()
    ]
    return JsonResponse({'conversation_id': conversation.pk, 'messages': messages})


@csrf_exempt
@require_http_methods(['DELETE'])
def clear_conversation(request, conversation_id):
    conversation = _conversation_for(request, conversation_id)
    conversation.delete()
    return JsonResponse({'deleted': True})
