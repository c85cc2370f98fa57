/** The poison event for a new order `orderId`, as a message for the order topic, keyed by its aggregate. */
export declare function poisonOrderMessage(orderId: string): { key: string; value: string };
