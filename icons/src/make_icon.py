"""Draws the app's source icon (1024 px): a rounded teal tile with the character 修 (repair).
Regenerate the sized icons with: npx --prefix ui tauri icon icons/src/icon-1024.png -o icons"""
from PIL import Image, ImageDraw, ImageFont

S = 1024
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle((40, 40, S - 40, S - 40), radius=200, fill=(22, 110, 120, 255))
d.rounded_rectangle((110, 110, S - 110, S - 110), radius=140, outline=(255, 255, 255, 230), width=24)
font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 560, index=2)
d.text((S / 2, S / 2 + 10), "修", font=font, fill=(255, 255, 255, 255), anchor="mm")
img.save("icons/src/icon-1024.png")
