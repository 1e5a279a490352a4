"""Arabic function words: words that never start or end a key phrase and carry no topic.

Written by the akhbar team for Modern Standard Arabic news: prepositions, conjunctions, particles, pronouns,
demonstratives and relatives, auxiliaries and the verbs of saying that open most news sentences, common adverbs of
time and degree, and the generic nouns of news prose (``العام``, ``اليوم``, ``الماضي``). Compared in the dedup layer
(hamza carriers folded, ة→ه, ى→ي), so every spelling of a word matches; clitic ``و``/``ف`` forms are listed where
news writes them glued (``وقال``).
"""

from __future__ import annotations

from functools import cache, lru_cache

from akhbar.arabic.normalize import dedup_tokens

_WORDS = """
في من إلى الى على عن مع عند لدى حتى منذ مذ بين خلال ضد نحو عبر دون حول قبل بعد أمام امام وراء تحت فوق لدي
و ف ثم أو او أم ام بل لكن لكنه لكنها ولكن غير سوى إلا الا لا لم لن ما ماذا لماذا متى أين اين كيف كم هل قد لقد
سوف إن ان أن إنه انه أنه إنها انها أنها إنهم أنهم كان كانت كانوا يكون تكون يكن ليس ليست لست ليسوا أصبح أصبحت
صار ظل ظلت مازال مازالت زال يزال تزال لايزال مايزال
هو هي هم هن هما أنا انا نحن أنت انت أنتم انتم هذا هذه هذان هاتان هؤلاء ذلك تلك أولئك اولئك هنا هناك هنالك
الذي التي الذين اللذين اللتين اللواتي اللاتي اللائي من ما
كل بعض أي اي أية اية جميع كافة معظم أغلب اغلب عدة عدد نفس ذات كلا كلتا أكثر اكثر أقل اقل أول اول آخر اخر أخرى
اخرى أيضا ايضا فقط جدا حيث إذ اذ إذا اذا لو لولا كما مثل عندما بينما حين حينما كي لكي لأن لان لذلك لذا إذن اذن
وفق وفقا طبقا بحسب حسب نحو قرابة حوالي نحوا تقريبا خاصة خصوصا لاسيما سيما إضافة اضافة بالإضافة بالاضافة
قال قالت يقول تقول وقال وقالت أضاف اضاف أضافت اضافت وأضاف واضاف وأضافت أكد اكد أكدت اكدت وأكد واكد وأكدت
أعلن اعلن أعلنت اعلنت وأعلن واعلن وأعلنت أشار اشار أشارت اشارت وأشار واشار وأشارت أوضح اوضح أوضحت اوضحت
ذكر ذكرت وذكر وذكرت تابع تابعت وتابع وتابعت لفت لفتت ولفت وكان وكانت فإن فان وإن وان وأن بأن بان لأنه لانه
يمكن يجب ينبغي تم يتم وتم جرى يجري
اليوم أمس امس غدا الآن الان العام عام الماضي الماضية المقبل المقبلة الحالي الحالية الجاري الجارية الأسبوع الاسبوع
الشهر السنة يوم أيام ايام شهر أشهر اشهر سنة سنوات ساعة ساعات دقيقة مرة مرات
نسبة بشكل بصورة إطار اطار سياق مجال صعيد شأن شان أجل اجل خلف جانب بسبب نتيجة رغم برغم بالرغم
الأحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت
"""


@cache
def stopwords() -> frozenset[str]:
    """The list above in the dedup layer."""
    return frozenset(word for line in _WORDS.split("\n") for word in dedup_tokens(line))


@lru_cache(maxsize=200_000)
def is_stopword(word: str) -> bool:
    """Whether a word (any spelling, one token) is a function word. Digits and Latin are not stopwords."""
    tokens = dedup_tokens(word)
    return len(tokens) == 1 and tokens[0] in stopwords()


__all__ = ["is_stopword", "stopwords"]
