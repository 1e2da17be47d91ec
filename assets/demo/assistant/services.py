"""Clients for the RAG retrieval service, the MCP tool server and OpenAI."""
import os

# sentence-transformers' tokenizers deadlock after the server forks
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["KMP_DUPLICATE_LIB_OK"] = "TRUE"

import requests
from django.conf import settings
from openai import OpenAI

RAG_SERVICE_URL = "http://127.0.0.1:8001/v1"

MCP_SERVER = {
    "name": "market-data",
    "transport": "sse",
    "url": "http://127.0.0.1:9000/sse",
}

SYSTEM_PROMPT = (
    "You are FinGPT, a personal-finance assistant. Answer using the user's "
    "ledger and the retrieved context. Say so when you are not sure."
)

_client = None


def get_client():
    global _client
    if _client is None:
        _client = OpenAI(api_key=settings.OPENAI_API_KEY)
    return _client


def market_data_server():
    """Connection settings for the MCP market-data server the agent calls."""
    return dict(MCP_SERVER)


def retrieve_context(question, k=4):
    response = requests.post(
        f"{RAG_SERVICE_URL}/query",
        json={"query": question, "top_k": k},
        timeout=30,
    )
    response.raise_for_status()
    return response.json().get("chunks", [])


def ingest_url(url):
    response = requests.post(f"{RAG_SERVICE_URL}/ingest", json={"url": url}, timeout=120)
    response.raise_for_status()
    return response.json()


def answer_question(question, history):
    chunks = retrieve_context(question)
    context = "\n\n".join(chunk["text"] for chunk in chunks)
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    messages += [{"role": m.role, "content": m.content} for m in history]
    messages.append({"role": "user", "content": f"Context:\n{context}\n\nQuestion: {question}"})
    completion = get_client().chat.completions.create(
        model=settings.DEFAULT_CHAT_MODEL,
        messages=messages,
    )
    best = max((chunk.get("score", 0.0) for chunk in chunks), default=None)
    return completion.choices[0].message.content, best
