import { expect, type Page } from '@playwright/test';

/**
 * Answers the app's yes/no question (renderer/src/components/confirm-dialog.tsx) the way a
 * consultant does: waits for it, with the keyboard on it, and presses its yes or no button.
 * Returns the question and its detail as shown, for the test to check what it said.
 */
export async function answerConfirm(page: Page, answer: 'yes' | 'no'): Promise<string> {
  const question = page.getByTestId('confirm-question');
  await expect(question).toBeVisible();
  await expect(question).toBeFocused();
  const text = (await question.locator(':scope > :not(.actions)').allInnerTexts()).join('\n');
  await question
    .locator('.actions button')
    .nth(answer === 'yes' ? 0 : 1)
    .click();
  await expect(question).toHaveCount(0);
  return text;
}
