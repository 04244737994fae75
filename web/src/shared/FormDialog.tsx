import { Button, Form, Modal, Space } from 'antd';
import type { ReactNode } from 'react';

interface Props<V> {
  title: ReactNode;
  onCancel(): void;
  onFinish(values: V): unknown;
  initialValues?: Record<string, unknown>;
  /** The submit button's label. */
  submit: ReactNode;
  busy: boolean;
  /** Shown above the form. */
  intro?: ReactNode;
  /** More buttons beside the submit button. */
  actions?: ReactNode;
  submitTestId?: string;
  children: ReactNode;
}

/** The console's one shape of dialog for a single form: fields, then a submit button, closed by cancel or by the caller. */
export function FormDialog<V>({ title, onCancel, onFinish, initialValues, submit, busy, intro, actions, submitTestId, children }: Props<V>) {
  const button = (
    <Button type="primary" htmlType="submit" loading={busy} data-testid={submitTestId}>
      {submit}
    </Button>
  );
  return (
    <Modal open title={title} onCancel={onCancel} footer={null} destroyOnHidden>
      {intro}
      <Form<V> layout="vertical" initialValues={initialValues} onFinish={onFinish}>
        {children}
        {actions ? (
          <Space>
            {button}
            {actions}
          </Space>
        ) : (
          button
        )}
      </Form>
    </Modal>
  );
}
