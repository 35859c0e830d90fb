"""The callback endpoint LinkedIn pushes to: `/linkedin/callback/<organisation token>/`.

Answers, with no side effect unless 200:
- 404 when no organisation has this token (we do not say more);
- 401 when `X-LI-Signature` is missing or wrong, or the push is for another organisation;
- 400 when a correctly signed body is not a notification (no JSON, no type or requestId);
- 413 when the body is larger than any LinkedIn notification;
- 200 once the push is recorded (a replay of the same request id is a no-op 200); the work is
  handed to Celery after the commit, so LinkedIn gets its answer fast.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from linkedin import services_rsc


@csrf_exempt
@require_POST
def callback(request: HttpRequest, token: str) -> JsonResponse:
    try:
        event, created = services_rsc.push_receive(
            token=token,
            raw=request.body,
            signature=request.headers.get("X-LI-Signature", ""),
        )
    except services_rsc.PushRefused as exc:
        return JsonResponse({"status": exc.status, "message": exc.message}, status=exc.status)
    return JsonResponse({"status": 200, "requestId": event.request_id, "duplicate": not created})
